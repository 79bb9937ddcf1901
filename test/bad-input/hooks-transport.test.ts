import { buildTransportAndVendorSlice, TRANSPORT_GROUPS } from "./corpus/hooks";
import { badInputSuite } from "./suite";

badInputSuite(
  "POST /hooks/:source refuses bad paths, methods, content types, sizes and vendor signatures",
  buildTransportAndVendorSlice,
  [...TRANSPORT_GROUPS, "signature"],
  { validSource: "followupboss" },
);
