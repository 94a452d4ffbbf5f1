import { render } from 'preact';
import '@/components/styles.css';
import { OptionsApp } from './App';

document.body.classList.add('options');
render(<OptionsApp />, document.getElementById('app')!);
