/**
 * Sliding-window counts over a burst counter's entries (event times), the same for every store. An event's
 * `count` is the number of entries in the window ending at it; its `peak` the largest count of any window that
 * holds it (ending at it or at a later entry). Judging a burst by the peak makes it independent of arrival
 * order: events that arrive late, or in another batch, still complete the window they belong to.
 */
export interface BurstCount {
  readonly count: number;
  readonly peak: number;
}

/** Index of the first entry with time > `time` in ascending `times`. */
function upTo(times: readonly number[], time: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((times[middle] as number) <= time) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** `times` ascending (every counted entry, the events' own included); one result per event time. */
export function windowCounts(times: readonly number[], eventTimes: readonly number[], windowMs: number): BurstCount[] {
  const countAt = times.map((time) => upTo(times, time) - upTo(times, time - windowMs));
  // Sparse table: the largest countAt over any index range in constant time.
  const table: number[][] = [countAt];
  for (let span = 1; span * 2 <= countAt.length; span *= 2) {
    const previous = table[table.length - 1] as number[];
    table.push(
      previous.slice(0, previous.length - span).map((value, i) => Math.max(value, previous[i + span] as number)),
    );
  }
  const rangeMax = (from: number, to: number): number => {
    if (to <= from) return 0;
    const level = Math.floor(Math.log2(to - from));
    const row = table[level] as number[];
    return Math.max(row[from] as number, row[to - (1 << level)] as number);
  };
  return eventTimes.map((time) => {
    const count = upTo(times, time) - upTo(times, time - windowMs);
    return { count, peak: Math.max(count, rangeMax(upTo(times, time - 1), upTo(times, time + windowMs - 1))) };
  });
}
