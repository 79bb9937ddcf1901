/** Test files onto shards so they end together (see shard-plan.mjs). */
export function planShards(files: readonly string[], seconds: Readonly<Record<string, number>>, shards: number): string[][];
