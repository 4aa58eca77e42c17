// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ERC1155} from "@openzeppelin/contracts/token/ERC1155/ERC1155.sol";

/// @notice Energy tokens, one token id per time slot, one unit per Wh. Minted only by the
/// settlement contract, and only for delivery an oracle has signed.
contract EnergyToken is ERC1155, AccessControl {
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");

    /// @notice Wh held over all slots, so a holder's energy is one read
    mapping(address => uint256) public totalOf;
    uint256 public totalSupplyWh;

    constructor(address admin) ERC1155("") {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @notice Mints one slot's delivered energy to many holders in one call. Holders are the
    /// market's custodial accounts, never contracts, so the receiver hook is not called.
    function mintSlot(uint256 slot, address[] calldata to, uint256[] calldata amountsWh)
        external
        onlyRole(MINTER_ROLE)
    {
        uint256[] memory ids = new uint256[](1);
        uint256[] memory values = new uint256[](1);
        ids[0] = slot;
        for (uint256 i; i < to.length; ++i) {
            if (amountsWh[i] == 0) continue;
            if (to[i] == address(0)) revert ERC1155InvalidReceiver(address(0));
            values[0] = amountsWh[i];
            _update(address(0), to[i], ids, values);
        }
    }

    function _update(address from, address to, uint256[] memory ids, uint256[] memory values)
        internal
        override
    {
        super._update(from, to, ids, values);
        uint256 sum;
        for (uint256 i; i < values.length; ++i) {
            sum += values[i];
        }
        if (from == address(0)) totalSupplyWh += sum;
        else totalOf[from] -= sum;
        if (to == address(0)) totalSupplyWh -= sum;
        else totalOf[to] += sum;
    }

    function supportsInterface(bytes4 id) public view override(ERC1155, AccessControl) returns (bool) {
        return super.supportsInterface(id);
    }
}
