import { startAudit } from './log-audit';

export default function globalSetup(): void {
  startAudit();
}
