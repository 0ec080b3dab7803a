/** S3's ordinary failures on the real wire, for JSON Lines through whole-file gzip: the tests are in test/support/fault-suite.ts. */
import { describeFaultsIn, FAULT_FORMATS } from '../support/fault-suite';

describeFaultsIn(FAULT_FORMATS.jsonlGzip);
