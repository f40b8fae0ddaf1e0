import type { VNode } from 'preact';
import type { UserRow } from '../../storage/store.ts';
import { Badge } from './components.tsx';

export const USERS_BREADCRUMB = [{ href: '/console/users', label: 'Users' }];

export function userPath(user: Pick<UserRow, 'id'>, suffix = ''): string {
  return `/console/users/${encodeURIComponent(user.id)}${suffix}`;
}

export function isLocked(user: UserRow, now: number): boolean {
  return user.lockedUntil !== null && user.lockedUntil > now;
}

/** Active, Locked (after too many wrong passwords) or Deactivated. */
export function UserStatus({ user, now }: { user: UserRow; now: number }): VNode {
  if (user.status !== 'ACTIVE') return <Badge tone="neutral">Deactivated</Badge>;
  if (isLocked(user, now)) return <Badge tone="warning">Locked</Badge>;
  return <Badge tone="success">Active</Badge>;
}
