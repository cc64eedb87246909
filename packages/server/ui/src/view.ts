/** What is shown in the main area for one route: refreshed on every poll. */
export interface View {
  refresh(): Promise<void>;
}

/**
 * Renders into `el` only when the data changed since the last time, so an unchanged page keeps
 * its text selection and scroll position between polls.
 */
export function changedOnly<T>(render: (data: T) => void): (data: T) => void {
  let last: string | undefined;
  return (data) => {
    const text = JSON.stringify(data);
    if (text === last) return;
    last = text;
    render(data);
  };
}
