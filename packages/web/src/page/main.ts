// The page's script, bundled with uPlot into build/page/page.js by the package's build step.
import { LivePage } from './live-page';

new LivePage();
