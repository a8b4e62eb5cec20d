/** The demo ERP: OAuth 2.0 client credentials and an application-wide rate limit. */
import { defineIntegration } from '../framework/integration';
import { demoErp } from './application';
import { listProducts } from './list-products';

export { demoErp };

export default defineIntegration(demoErp, { listProducts });
