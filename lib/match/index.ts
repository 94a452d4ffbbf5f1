export { matchAccounts, matchAccount, indexRoster, personLabel, accountName } from './match-accounts';
export type { RosterIndex } from './match-accounts';
