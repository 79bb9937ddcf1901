/** SkySlope writes its timestamps without a zone; they are UTC. The same instant with its zone. */
export function utcInstant(raw: string): string {
  return /(Z|[+-]\d{2}:?\d{2})$/i.test(raw) ? raw : `${raw}Z`;
}
