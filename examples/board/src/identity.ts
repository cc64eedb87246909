// Who this browser is on the board: a name and a colour, kept in localStorage.

const NAMES = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Radia'];
const COLORS = ['#e4572e', '#17bebb', '#7b2cbf', '#2e86ab', '#f29e4c', '#3bb273', '#d7263d'];

export interface Identity {
  readonly name: string;
  readonly color: string;
}

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

export function loadIdentity(): Identity {
  try {
    const saved = JSON.parse(localStorage.getItem('weft-board-identity') ?? 'null');
    if (saved && typeof saved.name === 'string' && typeof saved.color === 'string') return saved;
  } catch {
    // a damaged entry: make a new identity
  }
  const identity = { name: pick(NAMES), color: pick(COLORS) };
  saveIdentity(identity);
  return identity;
}

export function saveIdentity(identity: Identity): void {
  localStorage.setItem('weft-board-identity', JSON.stringify(identity));
}
