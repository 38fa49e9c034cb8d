import { notFound } from 'next/navigation';
import { getDb } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { getStation, type StationDetail } from '@/lib/services/stations';
import type { SessionUser } from '@/lib/services/users';

/** The station of a station page, or the 404 page when it does not exist or is out of the user's scope. */
export async function loadStation(user: SessionUser, id: string): Promise<StationDetail> {
  try {
    return await getStation(getDb(), user, id);
  } catch (error) {
    if (error instanceof AppError && error.kind === 'not_found') notFound();
    throw error;
  }
}
