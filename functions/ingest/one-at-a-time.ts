/**
 * A queue of async work that runs one piece at a time, in order of arrival; a failure fails only its own piece.
 * Node runs one request's JavaScript at a time, but two requests interleave at every await: this keeps the pieces
 * of work that must not interleave (a batch on the scratch database; a batch's read of the ledger's call_ids and its
 * insert) whole.
 */
export function oneAtATime(): <T>(work: () => Promise<T>) => Promise<T> {
  let turn: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const run = turn.then(work);
    turn = run.catch(() => undefined);
    return run;
  };
}
