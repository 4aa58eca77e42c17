export {
  type Contract,
  type ContractStatement,
  chooseContract,
  type Delivery,
  optionPayoffUsd,
  settleContract,
} from './contracts.js';
