/** S3's ordinary failures on the real wire, for Parquet (ZSTD): the tests are in test/support/fault-suite.ts. */
import { describeFaultsIn, FAULT_FORMATS } from '../support/fault-suite';

describeFaultsIn(FAULT_FORMATS.parquetZstd);
