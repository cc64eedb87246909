// Two replicas of a shopping list edit offline, then merge. Run: npm start
import { CrdtReplica, ORSetType, orSetAdd, orSetRemove, orSetValues } from '@weft/core';

const alice = new CrdtReplica(ORSetType, 'alice');
const bob = new CrdtReplica(ORSetType, 'bob');

alice.update((s) => orSetAdd(s, 'alice', 'milk'));
alice.update((s) => orSetAdd(s, 'alice', 'bread'));
alice.syncWith(bob);
console.log('shared list       ', orSetValues(bob.state));

// Offline, at the same time: alice drops milk and adds tea; bob buys more milk and adds eggs.
alice.update((s) => orSetRemove(s, 'milk'));
alice.update((s) => orSetAdd(s, 'alice', 'tea'));
bob.update((s) => orSetAdd(s, 'bob', 'milk'));
bob.update((s) => orSetAdd(s, 'bob', 'eggs'));
console.log('alice, offline    ', orSetValues(alice.state));
console.log('bob, offline      ', orSetValues(bob.state));

alice.syncWith(bob); // exchanges only the changes each side lacks
console.log('both, after merge ', orSetValues(alice.state), '(the concurrent add of milk wins)');
console.log('same heads        ', alice.log.getHeads().join() === bob.log.getHeads().join());
console.log('version vector    ', Object.fromEntries(alice.log.versionVector()));
