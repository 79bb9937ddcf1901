/**
 * `$metadata`: the CSDL (OData 4.0 XML) of the resources this MLS serves, with RESO Data
 * Dictionary 2.0 names and types (enumerations as `org.reso.metadata.enums.*`), and the service
 * document listing them.
 */
import { FIELDS, RESOURCES, type ResourceName } from "./data";

/** Fields whose DD 2.0 type is not Edm.String. */
const TYPES: Record<string, string> = {
  ListPrice: "Edm.Decimal",
  OriginalListPrice: "Edm.Decimal",
  ClosePrice: "Edm.Decimal",
  LivingArea: "Edm.Decimal",
  LotSizeAcres: "Edm.Decimal",
  BedroomsTotal: "Edm.Int64",
  BathroomsTotalInteger: "Edm.Int64",
  YearBuilt: "Edm.Int64",
  ModificationTimestamp: "Edm.DateTimeOffset",
  ListingContractDate: "Edm.Date",
  OnMarketDate: "Edm.Date",
  CloseDate: "Edm.Date",
  StandardStatus: "org.reso.metadata.enums.StandardStatus",
  PropertyType: "org.reso.metadata.enums.PropertyType",
  PropertySubType: "org.reso.metadata.enums.PropertySubType",
  StreetSuffix: "org.reso.metadata.enums.StreetSuffix",
  StateOrProvince: "org.reso.metadata.enums.StateOrProvince",
  CountyOrParish: "org.reso.metadata.enums.CountyOrParish",
  Country: "org.reso.metadata.enums.Country",
  City: "org.reso.metadata.enums.City",
  LivingAreaUnits: "org.reso.metadata.enums.AreaUnits",
  AccessibilityFeatures: "Collection(org.reso.metadata.enums.AccessibilityFeatures)",
  MemberStatus: "org.reso.metadata.enums.MemberStatus",
  OfficeStatus: "org.reso.metadata.enums.OfficeStatus",
  OfficeStateOrProvince: "org.reso.metadata.enums.StateOrProvince",
  MlsStatus: "org.reso.metadata.enums.MlsStatus",
};

/** String fields whose DD 2.0 MaxLength is not 255. */
const MAX_LENGTH: Record<string, number> = {
  StreetNumber: 25,
  StreetName: 50,
  UnitNumber: 25,
  PostalCode: 10,
  ListAgentMlsId: 25,
  ListAgentFullName: 150,
  ListOfficeMlsId: 25,
  PublicRemarks: 4000,
  MemberMlsId: 25,
  MemberFirstName: 50,
  MemberLastName: 50,
  MemberFullName: 150,
  MemberEmail: 80,
  MemberPreferredPhone: 16,
  OfficeMlsId: 25,
  OfficePhone: 16,
  OfficeEmail: 80,
  OfficeCity: 50,
};

/** RESO Data Dictionary 2.0 `StandardStatus` lookup values. */
export const STANDARD_STATUS = [
  "Active",
  "ActiveUnderContract",
  "Canceled",
  "Closed",
  "ComingSoon",
  "Delete",
  "Expired",
  "Hold",
  "Incomplete",
  "Pending",
  "Withdrawn",
] as const;

/** A StandardStatus value as the Lookup resource names it: "ActiveUnderContract" → "Active Under Contract". */
export const lookupDisplay = (v: string) => v.replace(/([a-z])([A-Z])/g, "$1 $2");

function entityType(resource: ResourceName, display: boolean): string {
  const props = [...FIELDS[resource]].map((f) => {
    if (display && f === "StandardStatus")
      return `        <Property Name="${f}" Type="Edm.String"><Annotation Term="RESO.OData.Metadata.LookupName" String="StandardStatus"/></Property>`;
    const type = TYPES[f] ?? "Edm.String";
    const extra =
      type === "Edm.String" ? ` MaxLength="${MAX_LENGTH[f] ?? 255}"` : type === "Edm.Decimal" ? ' Precision="14" Scale="2"' : "";
    return `        <Property Name="${f}" Type="${type}"${extra}/>`;
  });
  return [
    `      <EntityType Name="${resource}">`,
    `        <Key><PropertyRef Name="${RESOURCES[resource]}"/></Key>`,
    ...props,
    "      </EntityType>",
  ].join("\n");
}

/** The CSDL; with `display`, StandardStatus is a Lookup-resource string (RCP 40 §2.2). */
export function metadataXml(display = false): string {
  const members = STANDARD_STATUS.map((v, i) => `        <Member Name="${v}" Value="${i}"/>`).join("\n");
  const resources = Object.keys(RESOURCES) as ResourceName[];
  return `<?xml version="1.0" encoding="UTF-8"?>
<edmx:Edmx xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx" Version="4.0">
  <edmx:DataServices>
    <Schema xmlns="http://docs.oasis-open.org/odata/ns/edm" Namespace="org.reso.metadata">
${resources.map((r) => entityType(r, display)).join("\n")}
      <EntityContainer Name="Default">
${resources.map((r) => `        <EntitySet Name="${r}" EntityType="org.reso.metadata.${r}"/>`).join("\n")}
      </EntityContainer>
    </Schema>
    <Schema xmlns="http://docs.oasis-open.org/odata/ns/edm" Namespace="org.reso.metadata.enums">
      <EnumType Name="StandardStatus">
${members}
      </EnumType>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
`;
}

export function serviceDocument(origin: string): unknown {
  return {
    "@odata.context": `${origin}/reso/odata/$metadata`,
    value: (Object.keys(RESOURCES) as ResourceName[]).map((r) => ({ name: r, kind: "EntitySet", url: r })),
  };
}
