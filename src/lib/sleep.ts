/** Resolves after `ms` milliseconds (a wait on I/O: no CPU time is spent). */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
