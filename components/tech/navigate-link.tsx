import { buttonClass } from '@/components/ui/button';

/**
 * Directions to a site: a geo: link opens the phone's own maps app (Android, most iOS apps), and a
 * web link covers the phones that do not handle geo:.
 */
export function NavigateLinks({
  latitude,
  longitude,
  label,
}: {
  latitude: number;
  longitude: number;
  label: string;
}) {
  const q = encodeURIComponent(label);
  return (
    <div className="grid grid-cols-2 gap-2">
      <a
        href={`geo:${latitude},${longitude}?q=${latitude},${longitude}(${q})`}
        className={buttonClass('primary', 'min-h-11')}
      >
        Navigate
      </a>
      <a
        href={`https://www.google.com/maps/dir/?api=1&destination=${latitude},${longitude}`}
        target="_blank"
        rel="noreferrer"
        className={buttonClass('secondary', 'min-h-11')}
      >
        Web map
      </a>
    </div>
  );
}
