// The lab is not a workspace package (pnpm-workspace.yaml lists packages/*),
// so it reaches the punch package by path; `pnpm build` must have run.
export * from '../../packages/punch/dist/index.js';
