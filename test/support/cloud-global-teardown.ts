/** The cloud layer's global teardown: stops the run's shared moto server (cloud-global-setup.ts). */
import { stopSharedCloud } from './cloud-global-setup';

export default stopSharedCloud;
