/**
 * The station's Local Authorization List (1.6 Local Auth List Management profile, §5.9 / §5.15;
 * 2.0.1 functional block D): the cards the CSMS told the station about, with a version number the
 * CSMS uses to keep it in step. Version-neutral: the v16/ and v201/ handlers translate their
 * messages into `LocalListUpdate`s.
 */

/** 1.6 AuthorizationStatus, or the richer 2.0.1 AuthorizationStatusEnumType. */
export type LocalAuthStatus = string;

export interface LocalAuthEntry {
  /** As the CSMS last spelled it; lookups ignore case. */
  idToken: string;
  status: LocalAuthStatus;
  /** 1.6 expiryDate / 2.0.1 cacheExpiryDateTime. */
  expiresAt?: Date;
  /** 1.6 parentIdTag / 2.0.1 groupIdToken.idToken. */
  parentIdTag?: string;
}

export interface LocalListItem {
  idToken: string;
  /** Absent: remove the token (Differential only). */
  info?: { status: LocalAuthStatus; expiresAt?: string; parentIdTag?: string };
}

export interface LocalListUpdate {
  updateType: 'Full' | 'Differential';
  version: number;
  items: LocalListItem[];
}

export type LocalListResult = 'Accepted' | 'Failed' | 'VersionMismatch';

export interface LocalListLimits {
  /** 1.6 LocalAuthListMaxLength / 2.0.1 maxLimit of LocalAuthListCtrlr.Entries. */
  maxEntries: number;
  /** 1.6 SendLocalListMaxLength / 2.0.1 LocalAuthListCtrlr.ItemsPerMessage. */
  maxItemsPerMessage: number;
}

/** idTokens are case-insensitive: 1.6 IdToken is a CiString20Type, 2.0.1 IdTokenType says so. */
function keyOf(idToken: string): string {
  return idToken.toUpperCase();
}

/** The list a station keeps in flash: it survives reboots, and is changed only whole (or not at all). */
export class LocalAuthList {
  private current = new Map<string, LocalAuthEntry>();
  private listVersion = 0;

  constructor(readonly limits: LocalListLimits) {
    for (const [name, value] of Object.entries(limits))
      if (!Number.isInteger(value) || value < 1)
        throw new RangeError(`${name} must be a positive integer, not ${value}`);
  }

  /**
   * What GetLocalListVersion reports: 0 while the list is empty (1.6 §5.9: "0 indicates that the
   * local authorization list is empty"; 2.0.1 D01.FR.18: 0 means no list installed).
   */
  get version(): number {
    return this.listVersion;
  }

  get size(): number {
    return this.current.size;
  }

  /** Applies a SendLocalList. Anything but Accepted leaves the list as it was. */
  apply(update: LocalListUpdate): LocalListResult {
    const { updateType, version, items } = update;
    // 2.0.1 D01.FR.18 (and the 1.6 errata on listVersion): 0 and -1 have special meanings.
    if (!Number.isInteger(version) || version <= 0) return 'Failed';
    // 1.6 SendLocalListMaxLength / 2.0.1 D01.FR.11: the CSMS splits longer lists.
    if (items.length > this.limits.maxItemsPerMessage) return 'Failed';
    // 1.6 §5.15 / 2.0.1 D01.FR.06: every idToken in a message is unique.
    if (new Set(items.map((item) => keyOf(item.idToken))).size !== items.length) return 'Failed';

    let next: Map<string, LocalAuthEntry>;
    if (updateType === 'Full') {
      // A full list says what each token is; one without info cannot be stored.
      if (items.some((item) => !item.info)) return 'Failed';
      // 1.6 §5.15 / 2.0.1 D01.FR.04, D01.FR.15: the message replaces the list (an empty one empties it).
      next = new Map();
    } else {
      // 2.0.1 D01.FR.19 (1.6 §5.15): a differential update applies to an older list only.
      if (version <= this.listVersion) return 'VersionMismatch';
      next = new Map(this.current);
    }
    for (const { idToken, info } of items) {
      const key = keyOf(idToken);
      // 2.0.1 D01.FR.16 / D01.FR.17: with info the token is added or replaced, without it removed.
      if (!info) {
        next.delete(key);
        continue;
      }
      const expiresAt = info.expiresAt === undefined ? undefined : new Date(info.expiresAt);
      if (expiresAt && Number.isNaN(expiresAt.getTime())) return 'Failed';
      next.set(key, {
        idToken,
        status: info.status,
        ...(expiresAt && { expiresAt }),
        ...(info.parentIdTag !== undefined && { parentIdTag: info.parentIdTag }),
      });
    }
    // 1.6 LocalAuthListMaxLength / 2.0.1 D01.FR.12: a list that would not fit is not stored.
    if (next.size > this.limits.maxEntries) return 'Failed';
    this.current = next;
    this.listVersion = next.size > 0 ? version : 0;
    return 'Accepted';
  }

  /** The token's entry with its status as of `now`: Expired once its expiry has passed. */
  lookup(idToken: string, now: Date): LocalAuthEntry | undefined {
    const entry = this.current.get(keyOf(idToken));
    if (!entry) return undefined;
    const expired = entry.expiresAt !== undefined && entry.expiresAt.getTime() <= now.getTime();
    return { ...entry, status: expired ? 'Expired' : entry.status };
  }

  /** The stored entries (statuses as sent), in the order they were added. */
  entries(): LocalAuthEntry[] {
    return [...this.current.values()].map((entry) => ({ ...entry }));
  }

  /** Forgets the list, like a station whose storage was wiped: version 0, no entries. */
  clear(): void {
    this.current = new Map();
    this.listVersion = 0;
  }
}
