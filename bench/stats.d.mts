/** Types of bench/stats.mjs (for the unit test). */
export function median(xs: number[]): number;
export function summarize(xs: number[]): { median: number; min: number; max: number; runs: number };
export function verdict(ours: number, ref: number, budget: number | undefined): { ratio: number; pass: boolean | undefined };
export function formatTime(ms: number): string;
export function formatRss(kib: number | undefined): string;
export function formatTable(rows: string[][]): string;
