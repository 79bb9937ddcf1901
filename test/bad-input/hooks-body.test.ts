import { buildBodySlice } from "./corpus/hooks";
import { badInputSuite } from "./suite";

badInputSuite("POST /hooks/:source refuses signed deliveries whose body is not the envelope", buildBodySlice, ["body"], {
  validSource: "quickbooks",
});
