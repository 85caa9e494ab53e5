import { createApp } from 'vue'
import App from './App.vue'
import { APP_CONTEXT, createAppContext } from './app-context.ts'
import './styles/theme.css'

createApp(App).provide(APP_CONTEXT, createAppContext(window.location)).mount('#app')
