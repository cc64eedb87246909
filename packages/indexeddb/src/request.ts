/** The result of an IndexedDB request, as a promise. */
export function requestResult<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('the IndexedDB request failed'));
  });
}

/** Resolves when the transaction has committed; rejects with why it aborted. */
export function transactionDone(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new Error('the IndexedDB transaction was aborted'));
    // A failed request aborts the whole transaction (its error event is not cancelled): the
    // abort reports it, and nothing of the batch is written.
  });
}
