// negotiator 1.x ships no types; the one call the compiled path makes (as Apollo makes it).
declare module 'negotiator' {
  export default class Negotiator {
    constructor(request: { headers: Record<string, string | undefined> });
    mediaType(available?: string[]): string | undefined;
  }
}
