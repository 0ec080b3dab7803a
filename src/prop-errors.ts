import { InvalidInputError } from './contract/errors';

/**
 * The errors a user meets when a generator's props are wrong, all said the same way:
 * `SyntheticDataGenerator <construct path>: <which prop is wrong, why, and what to do>`.
 */
export class PropErrors {
  /** @param path the construct path of the generator, so that an app with several says which one */
  constructor(private readonly path: string) {}

  /** The error to throw: `message` names the prop and the value, says why it is refused and what to do instead. */
  public refuse(message: string): Error {
    return new Error(`SyntheticDataGenerator ${this.path}: ${message}`);
  }

  /**
   * Runs a validator of the contract (src/contract/), whose `InvalidInputError` already says which prop is wrong and
   * why: it is thrown as this generator's error. Any other error is a bug, and is thrown as it is.
   */
  public check<T>(validate: () => T): T {
    try {
      return validate();
    } catch (e) {
      if (e instanceof InvalidInputError) throw this.refuse(e.message);
      throw e;
    }
  }
}
