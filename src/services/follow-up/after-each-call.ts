/**
 * Wraps a store so that every call that returns a promise is followed by `after` (awaited before the
 * caller sees the result; its failure is reported, never the caller's).
 *
 * Used for one bridge only: until uploads move onto the job engine, the triggers `card_upload_*` and
 * `card_publication_*` still put videos on the cards' out-of-date list when an upload or a post changes,
 * and no service enqueues that list's job for them. Following every call on the upload queue's store with
 * a look at the list (one read of a table that is almost always empty) keeps those cards redrawn whoever
 * changes the store's methods meanwhile. Remove it with those four triggers.
 */
export function afterEachCall<T extends object>(target: T, after: () => Promise<void>, onError: (err: unknown) => void): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]): unknown => {
        const result: unknown = (value as (...a: unknown[]) => unknown).apply(object, args);
        if (!(result instanceof Promise)) return result;
        return result.then(async (resolved: unknown) => {
          await after().catch(onError);
          return resolved;
        });
      };
    },
  });
}
