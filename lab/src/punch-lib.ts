// One place the lab takes the punch package from, for the agent and its protocol types.
export * from '@p2p-node/punch';
