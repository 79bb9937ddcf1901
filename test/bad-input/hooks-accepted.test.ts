/**
 * Requests the intake must accept: replays (answered duplicate, recorded once) and validly signed
 * hostile data (stored verbatim, nothing executed). One file, replays first, to share the setup.
 */
import { hostileDataSuite } from "./hostile-data-suite";
import { replaySuite } from "./replay-suite";

replaySuite();
hostileDataSuite();
