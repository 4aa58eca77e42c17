// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice The settlement token: one unit is a micro-dollar, issued against money paid in.
/// Participants' balances are held in custody of the market: only the settlement contract moves
/// them, and only by an interval's net result, so payment tokens are never created by a trade.
contract PaymentToken is ERC20, AccessControl {
    bytes32 public constant ISSUER_ROLE = keccak256("ISSUER_ROLE");
    bytes32 public constant SETTLER_ROLE = keccak256("SETTLER_ROLE");

    error NetNotZero(int256 sum);

    constructor(address admin) ERC20("GridTier micro-dollar", "gUSD") {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    function decimals() public pure override returns (uint8) {
        return 6;
    }

    function issue(address to, uint256 amount) external onlyRole(ISSUER_ROLE) {
        _mint(to, amount);
    }

    /// @notice Applies one interval's net payments; debits go first, so an account that cannot
    /// pay reverts the whole interval, and the deltas must sum to zero (money only moves).
    function settleNet(address[] calldata accounts, int256[] calldata deltas) external onlyRole(SETTLER_ROLE) {
        int256 sum;
        for (uint256 i; i < accounts.length; ++i) {
            int256 d = deltas[i];
            sum += d;
            if (d < 0) _transfer(accounts[i], address(this), uint256(-d));
        }
        if (sum != 0) revert NetNotZero(sum);
        for (uint256 i; i < accounts.length; ++i) {
            int256 d = deltas[i];
            if (d > 0) _transfer(address(this), accounts[i], uint256(d));
        }
    }
}
