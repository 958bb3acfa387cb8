/**
 * Prints a proof's figures on one line, `PROOF <area>: key=value, key=value`, the format the
 * README quotes from the suite's output.
 */
export function printProof(area: string, figures: Record<string, number | string>): void {
  const pairs = Object.entries(figures).map(([key, value]) => `${key}=${value}`);
  console.log(`PROOF ${area}: ${pairs.join(", ")}`);
}
