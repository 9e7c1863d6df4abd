/**
 * Orders text by its UTF-16 code units: the same order in every locale, and
 * no ICU collator to build, which a first `localeCompare` does and which
 * costs the start of `otel-top` more than the sort it is for. Names, hosts
 * and paths are mostly ASCII, where this is dictionary order within a case.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
