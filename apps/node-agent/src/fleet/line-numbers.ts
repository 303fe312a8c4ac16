import { isValidPhoneNumber } from 'libphonenumber-js/max';

/**
 * `count` consecutive phone numbers from `first` that the control plane will accept
 * (libphonenumber's full metadata: e.g. +1 415 555 01xx is fictional and refused).
 */
export function lineNumbers(first: string, count: number): string[] {
  const numbers: string[] = [];
  let candidate = BigInt(first.slice(1));
  for (let tries = 0; numbers.length < count; tries++) {
    if (tries > count * 10) throw new Error(`too few valid phone numbers after ${first}`);
    const number = `+${candidate}`;
    if (isValidPhoneNumber(number)) numbers.push(number);
    candidate += 1n;
  }
  return numbers;
}
