/*
 * Preloaded (`node --import`) into a real `p2p-node` process to give it a
 * wall clock LAB_CLOCK_SHIFT_SEC seconds off: the lab's honest way to get a
 * correctly signed record that readers must refuse (issued in the future)
 * or find expired, from the real publisher, without touching its code.
 */
const shiftMs = Number(process.env.LAB_CLOCK_SHIFT_SEC ?? 0) * 1000;
const realNow = Date.now.bind(Date);
Date.now = () => realNow() + shiftMs;
export {};
