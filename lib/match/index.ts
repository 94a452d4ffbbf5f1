export { matchAccounts, indexRoster, personLabel, accountName } from './match-accounts';
