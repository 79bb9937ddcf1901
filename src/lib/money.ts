/** Cents as a person reads them in an alert or a trace: `$12,000.00`. */
export const usd = (cents: number): string => (cents / 100).toLocaleString("en-US", { style: "currency", currency: "USD" });
