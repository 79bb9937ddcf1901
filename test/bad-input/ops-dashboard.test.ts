import { opsDashboardCases } from "./corpus/ops-dashboard";
import { badInputSuite } from "./suite";

badInputSuite(
  "the /ops dashboard refuses every malformed request the way a browser needs",
  opsDashboardCases,
  ["dashboard-session", "dashboard-csrf", "dashboard-login", "dashboard-forms", "dashboard-paths"],
  { validSource: "standard" },
);
