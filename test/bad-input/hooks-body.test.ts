import { buildBodySlice } from "./corpus/hooks";
import { ARRAYS_FOR_OBJECTS_BUG } from "./corpus/hooks-body";
import { badInputSuite } from "./suite";

badInputSuite("POST /hooks/:source refuses signed deliveries whose body is not the envelope", buildBodySlice, ["body"], {
  validSource: "quickbooks",
});
