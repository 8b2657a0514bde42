// The demo's dice: a number from a text, so the same task, review or case always gets the same fate.

/** A number in [0, 1) from a text: the same task always gets the same fate. */
export function chance(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  h = Math.imul(h ^ (h >>> 15), 2246822507);
  return ((h ^ (h >>> 13)) >>> 0) / 4294967296;
}
