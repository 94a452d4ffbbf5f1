import { render } from 'preact';
import '@/components/styles.css';
import { PopupApp } from './App';

document.body.classList.add('popup');
render(<PopupApp />, document.getElementById('app')!);
