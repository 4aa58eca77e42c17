// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {EnergyToken} from "./EnergyToken.sol";
import {LoyaltyToken} from "./LoyaltyToken.sol";
import {PaymentToken} from "./PaymentToken.sol";

/// @notice Settles one interval of trades per call, whole or not at all. The market operator
/// submits the interval's trades grouped by seller and slot, the Merkle root of its trades and
/// readings (the anchor of the energy data store), and the readings as the oracles signed them.
/// The contract checks each oracle's signature over the metered delivery, refuses a reading used
/// before and an energy block sold before, checks that each seller's delivery is split over its
/// trades pro rata (within one Wh), mints energy tokens only for signed delivery, moves payment
/// at the contract price and charges each undelivered Wh at the fallback price to the seller.
contract Settlement is AccessControl {
    bytes32 public constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");
    bytes32 public constant ORACLE_ROLE = keccak256("ORACLE_ROLE");
    bytes32 public constant PARTICIPANT_ROLE = keccak256("PARTICIPANT_ROLE");

    /// @dev secp256k1 n / 2: a signature with a larger s is the malleable twin of a valid one
    uint256 private constant HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;

    struct Meter {
        address account;
        address oracle;
    }

    struct Reading {
        string meter;
        string account;
        uint64 slot;
        uint64 energyWh;
        uint64 nonce;
    }

    struct SignedReadings {
        bytes32 r;
        bytes32 s;
        Reading[] readings;
    }

    /// @dev one call's working state, in memory to keep the stack shallow
    struct Run {
        bytes32 interval;
        uint256 fallbackPrice;
        uint256[] keys;
        uint256[] offsets;
        uint256[] meteredWh;
        int256[] usd;
        uint256[] loyalty;
        /// @dev energy to mint per slot of the interval and account of `touched`, minted at the end
        uint64[] slots;
        uint256[][] energyWh;
        uint256 slotCount;
        uint256 fallbackAt;
        uint256 deliveredWh;
        uint256 shortfallWh;
    }

    PaymentToken public immutable usd;
    EnergyToken public immutable energy;
    LoyaltyToken public immutable loyalty;
    address public immutable fallbackSupplier;
    uint256 public immutable loyaltyPerKwh;
    uint256 public immutable burnBps;

    mapping(address => bytes32) public accountName;
    mapping(bytes32 => Meter) public meters;
    /// @notice sold energy blocks: keccak256(seller, slot, block / 256) -> a bitmap of block % 256.
    /// A word covers 256 of a seller's blocks in a slot, so the registry grows by a word per
    /// seller and slot, not by a word per trade.
    mapping(bytes32 => uint256) public soldBlocks;
    mapping(bytes32 => bool) public usedReadings;
    mapping(bytes32 => bytes32) public anchors;
    mapping(bytes32 => bool) public settled;

    event AccountOpened(string name, address account);
    event MeterRegistered(string meter, address account, address oracle);
    event IntervalSettled(bytes32 indexed interval, bytes32 merkleRoot, uint256 deliveredWh, uint256 shortfallWh);

    error ReservedName(string name);
    error UnknownAccount(address account);
    error AccountsNotAscending(uint256 index);
    error GroupsNotAscending(uint256 group);
    error MalformedGroups(uint256 index);
    error UnknownMeter(string meter);
    error MeterOfOtherAccount(string meter);
    error NotSignedByOracle(uint256 batch, string meter);
    error BadSignature(uint256 batch);
    error ReadingReplayed(string meter, uint64 nonce);
    error BlockSoldTwice(address seller, uint64 slot, uint256 blockNumber);
    error SellerIsBuyer(uint256 group, uint256 trade);
    error BadAllocation(uint256 group, uint256 trade);
    error FallbackNotListed();
    error IntervalSettledTwice(bytes32 interval);

    constructor(
        address admin,
        PaymentToken usd_,
        EnergyToken energy_,
        LoyaltyToken loyalty_,
        uint256 loyaltyPerKwh_,
        uint256 burnBps_
    ) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(OPERATOR_ROLE, admin);
        usd = usd_;
        energy = energy_;
        loyalty = loyalty_;
        loyaltyPerKwh = loyaltyPerKwh_;
        burnBps = burnBps_;
        fallbackSupplier = accountAddress("fallback-supplier");
        _open("fallback-supplier", fallbackSupplier);
    }

    /// @notice A participant's address follows from its name, so every party derives the same one.
    function accountAddress(string memory name) public pure returns (address) {
        return address(uint160(uint256(keccak256(bytes(string.concat("gridtier-account:", name))))));
    }

    function openAccount(string calldata name) external onlyRole(OPERATOR_ROLE) {
        if (keccak256(bytes(name)) == keccak256("issuer")) revert ReservedName(name);
        address a = accountAddress(name);
        if (accountName[a] == bytes32(0)) _open(name, a);
    }

    function registerMeter(string calldata meter, address account, address oracle)
        external
        onlyRole(OPERATOR_ROLE)
    {
        if (!hasRole(PARTICIPANT_ROLE, account)) revert UnknownAccount(account);
        _checkRole(ORACLE_ROLE, oracle);
        meters[keccak256(bytes(meter))] = Meter(account, oracle);
        emit MeterRegistered(meter, account, oracle);
    }

    function deposit(address account, uint256 microUsd) external onlyRole(OPERATOR_ROLE) {
        if (!hasRole(PARTICIPANT_ROLE, account)) revert UnknownAccount(account);
        usd.issue(account, microUsd);
    }

    /// @param touched every account the interval moves, ascending, the fallback supplier included
    /// @param groups per seller and slot: a header word (seller index into `touched` << 224 |
    /// slot << 160 | trade count << 128), then two words per trade: (buyer index << 224 |
    /// energyWh << 160 | price µ$/Wh << 96 | delivered Wh << 32) and the energy block number.
    /// Groups ascend by (seller address, slot).
    function settle(
        bytes32 interval,
        bytes32 merkleRoot,
        uint256 fallbackPricePerWh,
        address[] calldata touched,
        uint256[] calldata groups,
        SignedReadings[] calldata batches
    ) external onlyRole(OPERATOR_ROLE) {
        if (settled[interval]) revert IntervalSettledTwice(interval);
        settled[interval] = true;
        anchors[interval] = merkleRoot;
        Run memory run = _begin(interval, fallbackPricePerWh, touched, groups);
        for (uint256 b; b < batches.length; ++b) {
            _meter(run, touched, b, batches[b]);
        }
        for (uint256 g; g < run.offsets.length; ++g) {
            _settleGroup(run, touched, groups, g);
        }
        for (uint256 j; j < run.slotCount; ++j) {
            energy.mintSlot(run.slots[j], touched, run.energyWh[j]);
        }
        usd.settleNet(touched, run.usd);
        loyalty.mintMany(touched, run.loyalty);
        loyalty.burnShare(burnBps);
        emit IntervalSettled(interval, merkleRoot, run.deliveredWh, run.shortfallWh);
    }

    /// @notice What the operator's client reads before it submits, in one call.
    function lookup(
        address[] calldata accounts,
        bytes32[] calldata blockKeys,
        bytes32[] calldata readingKeys,
        bytes32[] calldata meterHashes
    )
        external
        view
        returns (bytes32[] memory names, uint256[] memory usdBalances, uint256[] memory sold, bool[] memory used, Meter[] memory ms)
    {
        names = new bytes32[](accounts.length);
        usdBalances = new uint256[](accounts.length);
        for (uint256 i; i < accounts.length; ++i) {
            names[i] = accountName[accounts[i]];
            usdBalances[i] = usd.balanceOf(accounts[i]);
        }
        sold = new uint256[](blockKeys.length);
        for (uint256 i; i < blockKeys.length; ++i) {
            sold[i] = soldBlocks[blockKeys[i]];
        }
        used = new bool[](readingKeys.length);
        for (uint256 i; i < readingKeys.length; ++i) {
            used[i] = usedReadings[readingKeys[i]];
        }
        ms = new Meter[](meterHashes.length);
        for (uint256 i; i < meterHashes.length; ++i) {
            ms[i] = meters[meterHashes[i]];
        }
    }

    function _open(string memory name, address a) private {
        accountName[a] = keccak256(bytes(name));
        _grantRole(PARTICIPANT_ROLE, a);
        emit AccountOpened(name, a);
    }

    function _begin(bytes32 interval, uint256 fallbackPrice, address[] calldata touched, uint256[] calldata groups)
        private
        view
        returns (Run memory run)
    {
        run.interval = interval;
        run.fallbackPrice = fallbackPrice;
        run.fallbackAt = type(uint256).max;
        for (uint256 i; i < touched.length; ++i) {
            if (i > 0 && touched[i] <= touched[i - 1]) revert AccountsNotAscending(i);
            if (!hasRole(PARTICIPANT_ROLE, touched[i])) revert UnknownAccount(touched[i]);
            if (touched[i] == fallbackSupplier) run.fallbackAt = i;
        }
        uint256 n;
        for (uint256 p; p < groups.length; n++) {
            p += 1 + 2 * uint32(groups[p] >> 128);
            if (p > groups.length) revert MalformedGroups(p);
        }
        run.offsets = new uint256[](n);
        run.keys = new uint256[](n);
        run.meteredWh = new uint256[](n);
        run.usd = new int256[](touched.length);
        run.loyalty = new uint256[](touched.length);
        run.slots = new uint64[](n);
        run.energyWh = new uint256[][](n);
        uint256 pos;
        for (uint256 g; g < n; ++g) {
            uint256 header = groups[pos];
            run.offsets[g] = pos;
            run.keys[g] = _key(touched[uint32(header >> 224)], uint64(header >> 160));
            if (g > 0 && run.keys[g] <= run.keys[g - 1]) revert GroupsNotAscending(g);
            pos += 1 + 2 * uint32(header >> 128);
        }
    }

    function _key(address account, uint64 slot) private pure returns (uint256) {
        return (uint256(uint160(account)) << 64) | slot;
    }

    /// @dev checks one oracle's signature over its readings, then credits each reading's
    /// delivery to the seller-and-slot group it belongs to (readings of no group mint nothing)
    function _meter(Run memory run, address[] calldata, uint256 b, SignedReadings calldata batch) private {
        Reading[] calldata rs = batch.readings;
        if (rs.length == 0) return;
        bytes32[] memory leaves = new bytes32[](rs.length);
        for (uint256 i; i < rs.length; ++i) {
            leaves[i] = _leaf(rs[i]);
        }
        address oracle = meters[keccak256(bytes(rs[0].meter))].oracle;
        if (oracle == address(0)) revert UnknownMeter(rs[0].meter);
        if (!hasRole(ORACLE_ROLE, oracle) || !_signedBy(_digest(_root(leaves)), batch.r, batch.s, oracle)) {
            revert BadSignature(b);
        }
        for (uint256 i; i < rs.length; ++i) {
            _credit(run, b, rs[i], oracle);
        }
    }

    function _credit(Run memory run, uint256 b, Reading calldata r, address oracle) private {
        bytes32 mh = keccak256(bytes(r.meter));
        Meter memory m = meters[mh];
        if (m.account == address(0)) revert UnknownMeter(r.meter);
        if (keccak256(bytes(r.account)) != accountName[m.account]) revert MeterOfOtherAccount(r.meter);
        if (m.oracle != oracle) revert NotSignedByOracle(b, r.meter);
        bytes32 rk = keccak256(abi.encode(mh, r.nonce));
        if (usedReadings[rk]) revert ReadingReplayed(r.meter, r.nonce);
        usedReadings[rk] = true;
        (bool found, uint256 g) = _find(run.keys, _key(m.account, r.slot));
        if (found) run.meteredWh[g] += r.energyWh;
    }

    function _find(uint256[] memory keys, uint256 key) private pure returns (bool, uint256) {
        uint256 lo;
        uint256 hi = keys.length;
        while (lo < hi) {
            uint256 mid = (lo + hi) >> 1;
            if (keys[mid] < key) lo = mid + 1;
            else hi = mid;
        }
        return (lo < keys.length && keys[lo] == key, lo);
    }

    /// @dev the same leaf the operator's and the oracle's software compute: SHA-256 of the
    /// versioned, |-separated fields in decimal
    function _leaf(Reading calldata r) private pure returns (bytes32) {
        return sha256(
            bytes(
                string.concat(
                    "gridtier-reading:v1|",
                    r.meter,
                    "|",
                    r.account,
                    "|",
                    Strings.toString(r.slot),
                    "|",
                    Strings.toString(r.energyWh),
                    "|",
                    Strings.toString(r.nonce)
                )
            )
        );
    }

    /// @dev Merkle root with SHA-256 over sorted pairs, an odd node carried up unchanged
    function _root(bytes32[] memory level) private pure returns (bytes32) {
        uint256 n = level.length;
        while (n > 1) {
            uint256 m;
            for (uint256 i; i < n; i += 2) {
                if (i + 1 == n) {
                    level[m++] = level[i];
                } else {
                    (bytes32 a, bytes32 c) = level[i] <= level[i + 1] ? (level[i], level[i + 1]) : (level[i + 1], level[i]);
                    level[m++] = sha256(abi.encodePacked(a, c));
                }
            }
            n = m;
        }
        return level[0];
    }

    /// @dev the oracle signs SHA-256 of this message (ECDSA with SHA-256 prehash)
    function _digest(bytes32 root) private pure returns (bytes32) {
        return sha256(bytes(string.concat("gridtier-readings:v1|", Strings.toHexString(uint256(root), 32))));
    }

    /// @dev the signature carries no recovery bit, so both candidate keys are tried
    function _signedBy(bytes32 digest, bytes32 r, bytes32 s, address oracle) private pure returns (bool) {
        if (uint256(s) > HALF_N || r == bytes32(0) || s == bytes32(0)) return false;
        return ecrecover(digest, 27, r, s) == oracle || ecrecover(digest, 28, r, s) == oracle;
    }

    /// @dev one seller-and-slot group of an interval
    struct Group {
        uint256 index;
        uint256 pos;
        uint256 seller;
        uint64 slot;
        uint256 count;
        uint256 contractedWh;
        uint256 deliveredWh;
    }

    function _settleGroup(Run memory run, address[] calldata touched, uint256[] calldata groups, uint256 g) private {
        Group memory grp = _group(run, groups, g);
        uint256[] memory energyWh = _slotEnergy(run, grp.slot, touched.length);
        uint256 sum;
        for (uint256 k; k < grp.count; ++k) {
            uint256 w = groups[grp.pos + 1 + 2 * k];
            uint256 buyer = uint32(w >> 224);
            if (buyer == grp.seller || buyer >= touched.length) revert SellerIsBuyer(g, k);
            _sell(touched[grp.seller], grp.slot, groups[grp.pos + 2 + 2 * k]);
            uint256 d = _trade(run, w, grp, buyer);
            if (d == type(uint256).max) revert BadAllocation(g, k);
            sum += d;
            energyWh[buyer] += d;
        }
        if (sum != grp.deliveredWh) revert BadAllocation(g, grp.count);
    }

    /// @dev the energy-to-mint row of a slot; an interval spans few slots, so a scan finds it
    function _slotEnergy(Run memory run, uint64 slot, uint256 accounts) private pure returns (uint256[] memory) {
        uint256 j;
        while (j < run.slotCount && run.slots[j] != slot) ++j;
        if (j == run.slotCount) {
            run.slots[j] = slot;
            run.energyWh[j] = new uint256[](accounts);
            run.slotCount++;
        }
        return run.energyWh[j];
    }

    function _group(Run memory run, uint256[] calldata groups, uint256 g) private pure returns (Group memory grp) {
        grp.index = g;
        grp.pos = run.offsets[g];
        uint256 header = groups[grp.pos];
        grp.seller = uint32(header >> 224);
        grp.slot = uint64(header >> 160);
        grp.count = uint32(header >> 128);
        for (uint256 k; k < grp.count; ++k) {
            grp.contractedWh += uint64(groups[grp.pos + 1 + 2 * k] >> 160);
        }
        uint256 metered = run.meteredWh[g];
        grp.deliveredWh = metered < grp.contractedWh ? metered : grp.contractedWh;
    }

    /// @dev delivered Wh is the trade's share of the group's delivery, rounded down or (when
    /// not exact) up by one Wh, which is what a largest-remainder split gives
    function _proRata(uint256 d, uint256 e, Group memory grp) private pure returns (bool) {
        if (d > e) return false;
        if (grp.contractedWh == 0) return d == 0;
        uint256 share = grp.deliveredWh * e;
        uint256 lo = share / grp.contractedWh;
        return d == lo || (d == lo + 1 && share % grp.contractedWh != 0);
    }

    function _sell(address seller, uint64 slot, uint256 blockNumber) private {
        bytes32 key = keccak256(abi.encode(seller, slot, blockNumber >> 8));
        uint256 bit = 1 << (blockNumber & 0xff);
        uint256 word = soldBlocks[key];
        if (word & bit != 0) revert BlockSoldTwice(seller, slot, blockNumber);
        soldBlocks[key] = word | bit;
    }

    /// @dev books one trade; returns its delivered Wh, or max if that is not its pro-rata share
    function _trade(Run memory run, uint256 w, Group memory grp, uint256 buyer) private view returns (uint256) {
        uint256 e = uint64(w >> 160);
        uint256 d = uint64(w >> 32);
        if (!_proRata(d, e, grp)) return type(uint256).max;
        uint256 seller = grp.seller;
        uint256 pay = e * uint64(w >> 96);
        uint256 imbalance = (e - d) * run.fallbackPrice;
        run.usd[buyer] -= int256(pay);
        run.usd[seller] += int256(pay) - int256(imbalance);
        if (imbalance > 0) {
            if (run.fallbackAt == type(uint256).max) revert FallbackNotListed();
            run.usd[run.fallbackAt] += int256(imbalance);
        }
        run.loyalty[seller] += (d * loyaltyPerKwh) / 1000;
        run.deliveredWh += d;
        run.shortfallWh += e - d;
        return d;
    }
}
