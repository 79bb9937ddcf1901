/** The dot path of a schema issue (`idx.header`, `value.0.ResourceName`); "" at the root. */
export function dotPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map(String).join(".");
}
