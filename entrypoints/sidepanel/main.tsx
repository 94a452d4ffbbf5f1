import { render } from 'preact';
import '@/components/styles.css';
import { SidePanelApp } from './App';

document.body.classList.add('sidepanel');
render(<SidePanelApp />, document.getElementById('app')!);
