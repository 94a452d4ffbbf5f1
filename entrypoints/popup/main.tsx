import { render } from 'preact';
import '@/components/styles.css';
import { prefetchState } from '@/components/useAppState';
import { PopupApp } from './App';

// The counts are what the popup is opened for: ask for them before rendering anything, rather
// than from an effect after the first paint (issue 10: counts visible < 100 ms after opening).
const early = prefetchState();
document.body.classList.add('popup');
render(<PopupApp early={early} />, document.getElementById('app')!);
