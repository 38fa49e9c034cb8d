import sharp, { type Metadata, type OutputInfo } from 'sharp';

/** A photo the server refuses; `message` is written for the technician who took it. */
export class PhotoError extends Error {
  override name = 'PhotoError';
}

export interface CompressedPhoto {
  data: Buffer;
  contentType: 'image/jpeg';
  width: number;
  height: number;
  /** At most 320 px on its longer edge: for lists and the audit packet's contact sheet. */
  thumbnail: Buffer;
}

export interface CompressPhotoOptions {
  /** Longest edge of the stored photo in pixels (default 1600); smaller photos are never upscaled. */
  maxEdge?: number;
  /** JPEG quality 1–100 (default 78). */
  quality?: number;
}

/** Phone cameras write 3–12 MB; a larger upload is a video, a RAW file or a mistake. */
export const MAX_PHOTO_BYTES = 25 * 1024 * 1024;
/**
 * ~50 MP: above current phone sensors in their default mode, and caps the decoded bitmap at about
 * 200 MB (4 bytes a pixel) so a small crafted file cannot exhaust the server's memory.
 */
export const MAX_PHOTO_PIXELS = 50_000_000;

const THUMBNAIL_EDGE = 320;
const THUMBNAIL_QUALITY = 70;

/**
 * Decoders we accept. libvips reads many more (SVG, PDF, TIFF, GIF ...), but SVG and PDF are
 * documents with their own parsers and attack surface, and nothing a phone camera produces.
 * `heif` covers HEIC and AVIF; whether HEIC decodes depends on the libvips build (below).
 */
const ACCEPTED_FORMATS = new Set<string>(['jpeg', 'png', 'webp', 'heif']);

const NOT_A_PHOTO = 'This file is not a photo we can read. Please upload a JPEG, PNG, WebP or HEIC image.';

/**
 * Turns a camera photo into a stored JPEG and a thumbnail: upright (EXIF orientation applied),
 * without metadata (EXIF GPS would publish where the technician was), at most `maxEdge` pixels
 * on its longer side. Throws PhotoError for files that are not photos or are too large.
 */
export async function compressPhoto(
  input: Buffer,
  options: CompressPhotoOptions = {},
): Promise<CompressedPhoto> {
  const maxEdge = options.maxEdge ?? 1600;
  const quality = options.quality ?? 78;
  if (!Number.isInteger(maxEdge) || maxEdge < 1) throw new RangeError(`maxEdge must be a positive integer`);
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) {
    throw new RangeError(`quality must be an integer from 1 to 100`);
  }

  if (input.length === 0) throw new PhotoError('The photo is empty. Please take it again.');
  if (input.length > MAX_PHOTO_BYTES) {
    throw new PhotoError('The photo is larger than 25 MB. Please upload a smaller one.');
  }

  // Header only: cheap, and lets us refuse by format and size before anything is decoded.
  let metadata: Metadata;
  try {
    metadata = await sharp(input).metadata();
  } catch {
    throw new PhotoError(NOT_A_PHOTO);
  }
  if (!ACCEPTED_FORMATS.has(metadata.format)) throw new PhotoError(NOT_A_PHOTO);
  if (metadata.width * metadata.height > MAX_PHOTO_PIXELS) {
    throw new PhotoError('The photo has more than 50 megapixels. Please upload a smaller one.');
  }

  let photo: { data: Buffer; info: OutputInfo };
  try {
    photo = await sharp(input, { limitInputPixels: MAX_PHOTO_PIXELS, autoOrient: true })
      .resize({ width: maxEdge, height: maxEdge, fit: 'inside', withoutEnlargement: true })
      // JPEG has no alpha: without this, transparent PNG areas come out in whatever colour they hide.
      .flatten({ background: '#ffffff' })
      // No keepMetadata()/withMetadata(): sharp then drops EXIF (GPS, device), XMP and IPTC and
      // converts to sRGB, which every viewer and the PDF renderer show correctly.
      .jpeg({ quality, mozjpeg: true })
      .toBuffer({ resolveWithObject: true });
  } catch {
    // The prebuilt libvips reads the HEIF container but ships no HEVC decoder (patents), so an
    // iPhone HEIC passes metadata() and fails here.
    if (metadata.format === 'heif' && metadata.compression === 'hevc') {
      throw new PhotoError(
        'HEIC photos cannot be read here. Please upload a JPEG (on iPhone: Settings › Camera › Formats › Most Compatible).',
      );
    }
    throw new PhotoError('This photo is damaged or incomplete. Please take it again.');
  }

  // From the compressed photo, not the original: already upright and small, so this is cheap.
  const thumbnail = await sharp(photo.data)
    .resize({ width: THUMBNAIL_EDGE, height: THUMBNAIL_EDGE, fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: THUMBNAIL_QUALITY, mozjpeg: true })
    .toBuffer();

  return {
    data: photo.data,
    contentType: 'image/jpeg',
    width: photo.info.width,
    height: photo.info.height,
    thumbnail,
  };
}
