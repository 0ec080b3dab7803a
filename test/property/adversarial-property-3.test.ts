/** The adversarial property (test/support/adversarial-property.ts), part 3 of 5: its own seed. */
import { adversarialProperty } from '../support/adversarial-property';

adversarialProperty(20_261_209);
