/**
 * The loop-detail sections and field labels Dotloop's API v2 reads and writes, as a client library
 * that wraps it lists them (see test/contracts/dotloop/SOURCES.md). Dotloop publishes no way to
 * define fields of one's own: a brokerage's field lives in one of these labels.
 */
export const DOTLOOP_DETAIL_FIELDS: Readonly<Record<string, readonly string[]>> = {
  "Property Address": [
    "Country",
    "Street Number",
    "Street Name",
    "Unit Number",
    "City",
    "State/Prov",
    "Zip/Postal Code",
    "County",
    "MLS Number",
    "Parcel/Tax ID",
  ],
  Financials: [
    "Purchase/Sale Price",
    "Sale Commission Rate",
    "Sale Commission Split % - Buy Side",
    "Sale Commission Split % - Sell Side",
    "Sale Commission Total",
    "Earnest Money Amount",
    "Earnest Money Held By",
    "Sale Commission Split $ - Buy Side",
    "Sale Commission Split $ - Sell Side",
  ],
  "Contract Dates": ["Contract Agreement Date", "Closing Date"],
  "Offer Dates": ["Inspection Date", "Offer Date", "Offer Expiration Date", "Occupancy Date"],
  "Contract Info": ["Transaction Number", "Class", "Type"],
  Referral: ["Referral %", "Referral Source"],
  "Listing Information": [
    "Expiration Date",
    "Listing Date",
    "Original Price",
    "Current Price",
    "1st Mortgage Balance",
    "2nd Mortgage Balance",
    "Other Liens",
    "Description of Other Liens",
    "Homeowner's Association",
    "Homeowner's Association Dues",
    "Total Encumbrances",
    "Property Includes",
    "Property Excludes",
    "Remarks",
  ],
  "Geographic Description": [
    "MLS Area",
    "Legal Description",
    "Map Grid",
    "Subdivision",
    "Lot",
    "Deed Page",
    "Deed Book",
    "Section",
    "Addition",
    "Block",
  ],
  Property: ["Year Built", "Bedrooms", "Square Footage", "School District", "Type", "Bathrooms", "Lot Size"],
};

/**
 * The loop-detail labels the hub's own mapping reads and writes (`section / label`): the mapping
 * audit shows the other labels holding values as candidates for the brokerage's own fields, and a
 * brokerage field may not take one (the two would overwrite each other).
 */
export const DOTLOOP_STANDARD_LABELS: ReadonlySet<string> = new Set([
  ...["Country", "Street Number", "Street Name", "Unit Number", "City", "State/Prov", "Zip/Postal Code", "County", "MLS Number"].map(
    (l) => `Property Address / ${l}`,
  ),
  "Financials / Purchase/Sale Price",
  "Financials / Sale Commission Total",
  "Financials / Sale Commission Rate",
  "Contract Dates / Contract Agreement Date",
  "Contract Dates / Closing Date",
  "Listing Information / Listing Date",
  "Listing Information / Expiration Date",
  "Listing Information / Current Price",
  "Property / Bedrooms",
  "Property / Bathrooms",
  "Property / Square Footage",
  "Property / Type",
]);
