/**
 * Sticky round-robin: a contact keeps its line; a new contact takes the next
 * line after the fleet's rotating cursor among lines that may take new contacts
 * now. Lines are ordered by id so every process walks the same ring.
 */
export interface CandidateLine {
  id: string;
  /** Assignable (active, healthy, warming/good) with new-contact headroom left today. */
  acceptsNewContacts: boolean;
}

export interface Pick {
  lineId: string;
  /** Where the cursor should point after this pick. */
  nextCursor: number;
}

export function pickRoundRobin(lines: readonly CandidateLine[], cursor: number): Pick | undefined {
  const ring = [...lines].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const n = ring.length;
  if (n === 0) return undefined;
  const start = ((cursor % n) + n) % n;
  for (let step = 0; step < n; step += 1) {
    const index = (start + step) % n;
    const line = ring[index]!;
    if (line.acceptsNewContacts) return { lineId: line.id, nextCursor: index + 1 };
  }
  return undefined;
}
