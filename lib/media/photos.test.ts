import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { compressPhoto, MAX_PHOTO_BYTES, PhotoError } from './photos';

/** A noisy photo-sized PNG; the noise is drawn small and scaled up so the PNG stays a few MB. */
async function aNoisyPng(width: number, height: number): Promise<Buffer> {
  const noise = await sharp({
    create: {
      width: width / 8,
      height: height / 8,
      channels: 3,
      background: '#000000',
      noise: { type: 'gaussian', mean: 128, sigma: 60 },
    },
  })
    .png()
    .toBuffer();
  return sharp(noise).resize(width, height, { kernel: 'nearest' }).png().toBuffer();
}

function aSolidImage(width: number, height: number, colour = '#3366cc') {
  return sharp({ create: { width, height, channels: 3, background: colour } });
}

/** The colour of one pixel of a decoded image, as [r, g, b]. */
async function pixelAt(image: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  const offset = (y * info.width + x) * info.channels;
  return [...data.subarray(offset, offset + 3)];
}

function expectClose(actual: number[], expected: number[]) {
  actual.forEach((value, i) => expect(Math.abs(value - expected[i]!)).toBeLessThan(40));
}

async function expectPhotoError(promise: Promise<unknown>, message: RegExp) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PhotoError);
  expect((error as PhotoError).message).toMatch(message);
}

describe('compressPhoto', () => {
  let bigPng: Buffer;
  beforeAll(async () => {
    bigPng = await aNoisyPng(4000, 3000);
  });

  it('scales a 4000x3000 PNG to a 1600 px JPEG that is much smaller', async () => {
    const photo = await compressPhoto(bigPng);

    expect(photo.contentType).toBe('image/jpeg');
    expect([photo.width, photo.height]).toEqual([1600, 1200]);
    const meta = await sharp(photo.data).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 1600, 1200]);
    expect(photo.data.length).toBeLessThan(bigPng.length / 2);
  });

  it('makes a JPEG thumbnail of at most 320 px', async () => {
    const photo = await compressPhoto(bigPng);

    const thumb = await sharp(photo.thumbnail).metadata();
    expect([thumb.format, thumb.width, thumb.height]).toEqual(['jpeg', 320, 240]);
    expect(photo.thumbnail.length).toBeLessThan(photo.data.length);
  });

  it('honours maxEdge and quality', async () => {
    const small = await compressPhoto(bigPng, { maxEdge: 800, quality: 50 });
    const large = await compressPhoto(bigPng, { maxEdge: 800, quality: 95 });

    expect([small.width, small.height]).toEqual([800, 600]);
    expect(small.data.length).toBeLessThan(large.data.length);
  });

  it('fits portrait photos by their longer edge', async () => {
    const photo = await compressPhoto(await aSolidImage(1500, 3000).jpeg().toBuffer());

    expect([photo.width, photo.height]).toEqual([800, 1600]);
  });

  it('never upscales a small photo', async () => {
    const photo = await compressPhoto(await aSolidImage(640, 480).png().toBuffer());

    expect([photo.width, photo.height]).toEqual([640, 480]);
    const thumb = await sharp(photo.thumbnail).metadata();
    expect([thumb.width, thumb.height]).toEqual([320, 240]);
  });

  it('turns a photo upright from its EXIF orientation 6 and drops the tag', async () => {
    // Stored landscape, left half red and right half blue; orientation 6 says "rotate 90° clockwise
    // to view", so the viewer sees a portrait with red on top.
    const stored = await sharp({
      create: { width: 300, height: 200, channels: 3, background: '#0000ff' },
    })
      .composite([
        {
          input: { create: { width: 150, height: 200, channels: 3, background: '#ff0000' } },
          left: 0,
          top: 0,
        },
      ])
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    expect((await sharp(stored).metadata()).orientation).toBe(6);

    const photo = await compressPhoto(stored);

    expect([photo.width, photo.height]).toEqual([200, 300]);
    expectClose(await pixelAt(photo.data, 100, 20), [255, 0, 0]);
    expectClose(await pixelAt(photo.data, 100, 280), [0, 0, 255]);
    expect((await sharp(photo.data).metadata()).orientation).toBeUndefined();
  });

  it('strips EXIF, including GPS, and XMP', async () => {
    const withMetadata = await aSolidImage(400, 300)
      .jpeg()
      .withExif({
        IFD0: { Make: 'PhoneMaker', Model: 'Phone 15' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' },
      })
      .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>')
      .toBuffer();
    const before = await sharp(withMetadata).metadata();
    expect(before.exif?.toString('latin1')).toContain('PhoneMaker');

    const photo = await compressPhoto(withMetadata);

    const after = await sharp(photo.data).metadata();
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(photo.data.toString('latin1')).not.toContain('PhoneMaker');
    expect((await sharp(photo.thumbnail).metadata()).exif).toBeUndefined();
  });

  it('accepts WebP and AVIF', async () => {
    const webp = await compressPhoto(await aSolidImage(200, 100).webp().toBuffer());
    const avif = await compressPhoto(await aSolidImage(200, 100).avif().toBuffer());

    expect([webp.width, webp.height]).toEqual([200, 100]);
    expect([avif.width, avif.height]).toEqual([200, 100]);
  });

  it('puts transparent PNG areas on white, not black', async () => {
    const transparent = await sharp({
      create: { width: 50, height: 50, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();

    const photo = await compressPhoto(transparent);

    expectClose(await pixelAt(photo.data, 25, 25), [255, 255, 255]);
  });

  it('refuses a file that is not an image', async () => {
    await expectPhotoError(compressPhoto(Buffer.from('%PDF-1.7 not a photo')), /not a photo/);
    await expectPhotoError(compressPhoto(Buffer.alloc(0)), /empty/);
  });

  it('refuses image formats a camera does not produce (SVG, GIF)', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>');
    const gif = await aSolidImage(10, 10).gif().toBuffer();

    await expectPhotoError(compressPhoto(svg), /not a photo/);
    await expectPhotoError(compressPhoto(gif), /not a photo/);
  });

  it('refuses a file larger than 25 MB before reading it', async () => {
    const tooBig = Buffer.alloc(MAX_PHOTO_BYTES + 1);
    bigPng.copy(tooBig);

    await expectPhotoError(compressPhoto(tooBig), /larger than 25 MB/);
  });

  it('refuses more than 50 megapixels, even in a small file', async () => {
    const huge = await aSolidImage(8000, 7000).png({ compressionLevel: 1 }).toBuffer();
    expect(huge.length).toBeLessThan(MAX_PHOTO_BYTES);

    await expectPhotoError(compressPhoto(huge), /50 megapixels/);
  });

  it('refuses a truncated photo as damaged', async () => {
    const jpeg = await sharp(bigPng).jpeg().toBuffer();

    await expectPhotoError(compressPhoto(jpeg.subarray(0, jpeg.length / 2)), /damaged/);
  });

  it('rejects nonsensical options as a programming error', async () => {
    await expect(compressPhoto(bigPng, { maxEdge: 0 })).rejects.toThrow(RangeError);
    await expect(compressPhoto(bigPng, { quality: 101 })).rejects.toThrow(RangeError);
  });
});
