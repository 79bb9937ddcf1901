/**
 * The keys of a SkySlope file's `customFields` object. SkySlope defines them itself (a client
 * library maps exactly these three; see test/contracts/skyslope/SOURCES.md) and drops others, so
 * a brokerage's field must live in one of them.
 */
export const SKYSLOPE_CUSTOM_FIELDS = ["conciergeProjectNumber", "isConcierge", "serviceType"] as const;
