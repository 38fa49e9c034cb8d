import { StatusPage } from '@/components/ui/status-page';

export default function Forbidden() {
  return (
    <StatusPage code="403 · Forbidden" tone="rose" title="You do not have access to this page">
      Your role does not include it. If you need it for your work, ask an administrator of your organisation.
    </StatusPage>
  );
}
