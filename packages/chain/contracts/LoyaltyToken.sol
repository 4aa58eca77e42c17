// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice Loyalty rewards per verified kWh. After every interval each holder burns a share of
/// its balance (basis points, rounded down): with at most M minted per interval and burn share b,
/// supply S' = (1 - b) S + M stays below M / b however long the market runs.
contract LoyaltyToken is ERC20, AccessControl {
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");

    address[] private holders;
    mapping(address => bool) private listed;

    constructor(address admin) ERC20("GridTier loyalty", "gLOY") {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    function decimals() public pure override returns (uint8) {
        return 0;
    }

    function mintMany(address[] calldata to, uint256[] calldata amounts) external onlyRole(MINTER_ROLE) {
        for (uint256 i; i < to.length; ++i) {
            if (amounts[i] > 0) _mint(to[i], amounts[i]);
        }
    }

    function burnShare(uint256 bps) external onlyRole(MINTER_ROLE) {
        for (uint256 i; i < holders.length; ++i) {
            address h = holders[i];
            uint256 burn = (balanceOf(h) * bps) / 10_000;
            if (burn > 0) _burn(h, burn);
        }
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (to != address(0) && !listed[to]) {
            listed[to] = true;
            holders.push(to);
        }
    }
}
